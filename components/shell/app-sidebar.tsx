import { Laptop, LogOut, ShieldCheck } from "lucide-react";
import Link from "next/link";
import { signOutAction } from "@/lib/actions/auth-actions";
import { NavLinks } from "./nav-links";
import { SidebarFrame } from "./sidebar-frame";

type AppSidebarProps = {
  user: { email: string; name: string; role: string };
  canReadAudit: boolean;
};

function Brand({ className = "" }: { className?: string }) {
  return (
    <Link href="/" className={`flex items-center gap-2 text-lg font-semibold tracking-tight ${className}`}>
      <ShieldCheck aria-hidden className="size-6 text-indigo-400" />
      cluster-tls
    </Link>
  );
}

export function AppSidebar({ user, canReadAudit }: AppSidebarProps) {
  // From md up, the dark column runs the page's whole height and the menu inside stays in view
  // while the page scrolls; below md it is a panel behind the menu button (SidebarFrame).
  return (
    <SidebarFrame brand={<Brand />}>
      <aside className="flex h-full flex-col text-slate-100 md:sticky md:top-0 md:h-screen">
        <Brand className="hidden px-5 py-5 md:flex" />
        <nav aria-label="Main" className="flex-1 px-3 pt-3 md:pt-0">
          <NavLinks hidden={canReadAudit ? [] : ["/audit"]} />
        </nav>
        <div className="border-t border-slate-800 px-4 py-4">
          <p className="truncate text-sm font-medium" title={user.email}>
            {user.name}
          </p>
          <p className="truncate text-xs text-slate-400">
            {user.email} · <span className="capitalize">{user.role}</span>
          </p>
          <Link
            href="/settings/devices"
            className="mt-3 flex items-center gap-2 rounded-md px-2 py-1.5 text-sm text-slate-300 hover:bg-slate-800 hover:text-white"
          >
            <Laptop aria-hidden className="size-4" />
            My devices
          </Link>
          <form action={signOutAction} className="mt-1">
            <button
              type="submit"
              className="flex w-full items-center gap-2 rounded-md px-2 py-1.5 text-sm text-slate-300 hover:bg-slate-800 hover:text-white"
            >
              <LogOut aria-hidden className="size-4" />
              Sign out
            </button>
          </form>
        </div>
      </aside>
    </SidebarFrame>
  );
}
