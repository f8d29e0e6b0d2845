import { ShieldCheck } from "lucide-react";
import Link from "next/link";
import { NavLinks } from "./nav-links";

export function AppSidebar() {
  return (
    <aside className="flex w-60 shrink-0 flex-col bg-slate-900 text-slate-100">
      <Link href="/" className="flex items-center gap-2 px-5 py-5 text-lg font-semibold tracking-tight">
        <ShieldCheck aria-hidden className="size-6 text-indigo-400" />
        cluster-tls
      </Link>
      <nav aria-label="Main" className="flex-1 px-3">
        <NavLinks />
      </nav>
      <p className="px-5 py-4 text-xs text-slate-400">Private PKI for PostgreSQL</p>
    </aside>
  );
}
