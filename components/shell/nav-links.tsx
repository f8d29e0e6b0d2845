"use client";

import { LoaderCircle } from "lucide-react";
import Link, { useLinkStatus } from "next/link";
import { usePathname } from "next/navigation";
import { NAVIGATION } from "./navigation";

function isActive(pathname: string, href: string): boolean {
  return href === "/" ? pathname === "/" : pathname === href || pathname.startsWith(`${href}/`);
}

/**
 * Pages answer with their final status (404, 403), so nothing streams before their data is
 * read: the link that was followed shows that the next page is on its way.
 */
function PendingMark() {
  const { pending } = useLinkStatus();
  return pending ? <LoaderCircle role="status" aria-label="Loading" className="ml-auto size-4 animate-spin text-slate-400" /> : null;
}

export function NavLinks({ hidden = [] }: { hidden?: string[] }) {
  const pathname = usePathname();
  return (
    <ul className="flex flex-col gap-1">
      {NAVIGATION.filter(({ href }) => !hidden.includes(href)).map(({ href, label, icon: Icon }) => {
        const active = isActive(pathname, href);
        return (
          <li key={href}>
            <Link
              href={href}
              aria-current={active ? "page" : undefined}
              className={`flex items-center gap-3 rounded-md px-3 py-2 text-sm font-medium transition-colors ${
                active ? "bg-slate-800 text-white" : "text-slate-300 hover:bg-slate-800/60 hover:text-white"
              }`}
            >
              <Icon aria-hidden className="size-4 shrink-0" />
              {label}
              <PendingMark />
            </Link>
          </li>
        );
      })}
    </ul>
  );
}
