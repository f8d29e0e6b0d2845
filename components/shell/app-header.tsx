import { ChevronLeft } from "lucide-react";
import Link from "next/link";
import type { ReactNode } from "react";

type AppHeaderProps = { title: string; description?: string; actions?: ReactNode; back?: { href: string; label: string } };

export function AppHeader({ title, description, actions, back }: AppHeaderProps) {
  return (
    <header className="flex flex-wrap items-end justify-between gap-4 border-b border-slate-200 bg-white px-4 sm:px-8 py-6">
      <div className="min-w-0">
        {back ? (
          <Link href={back.href} className="mb-1 inline-flex items-center gap-0.5 text-sm font-medium text-slate-500 hover:text-indigo-700">
            <ChevronLeft aria-hidden className="size-4" /> {back.label}
          </Link>
        ) : null}
        <h1 className="text-2xl font-semibold tracking-tight text-slate-900">{title}</h1>
        {description ? <p className="mt-1 text-sm text-slate-500">{description}</p> : null}
      </div>
      {actions ? <div className="flex flex-wrap items-center gap-2">{actions}</div> : null}
    </header>
  );
}
