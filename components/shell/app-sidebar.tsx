import { LogOut, ShieldCheck } from "lucide-react";
import Link from "next/link";
import { signOutAction } from "@/lib/actions/auth-actions";
import { NavLinks } from "./nav-links";

type AppSidebarProps = {
  user: { email: string; name: string; role: string };
  canReadAudit: boolean;
};

export function AppSidebar({ user, canReadAudit }: AppSidebarProps) {
  // The dark column runs the page's whole height; the menu inside stays in view while it scrolls.
  return (
    <div className="w-60 shrink-0 bg-slate-900">
      <aside className="sticky top-0 flex h-screen flex-col text-slate-100">
        <Link href="/" className="flex items-center gap-2 px-5 py-5 text-lg font-semibold tracking-tight">
          <ShieldCheck aria-hidden className="size-6 text-indigo-400" />
          cluster-tls
        </Link>
        <nav aria-label="Main" className="flex-1 px-3">
          <NavLinks hidden={canReadAudit ? [] : ["/audit"]} />
        </nav>
        <div className="border-t border-slate-800 px-4 py-4">
          <p className="truncate text-sm font-medium" title={user.email}>
            {user.name}
          </p>
          <p className="truncate text-xs text-slate-400">
            {user.email} · <span className="capitalize">{user.role}</span>
          </p>
          <form action={signOutAction} className="mt-3">
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
    </div>
  );
}
