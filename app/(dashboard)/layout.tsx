import { redirect } from "next/navigation";
import { connection } from "next/server";
import type { ReactNode } from "react";
import { AppSidebar } from "@/components/shell/app-sidebar";
import { isAllowed } from "@/lib/access/permissions";
import { visitorContext } from "@/lib/auth/session-context";
import { isSetupPending } from "@/lib/services/users/is-setup-pending";

export default async function DashboardLayout({ children }: { children: ReactNode }) {
  await connection(); // per-request: reads the session and the database
  // A first run sends everyone to /setup, before any sign-in.
  const { db, actor: user } = await visitorContext();
  if (await isSetupPending(db)) redirect("/setup");
  if (user.type !== "user") redirect("/sign-in");

  return (
    <div className="min-h-screen md:flex">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2"
      >
        Skip to content
      </a>
      <AppSidebar user={{ email: user.email, name: user.name, role: user.role }} canReadAudit={isAllowed(user, "audit:read")} />
      <main id="main" className="min-w-0 flex-1">
        {children}
      </main>
    </div>
  );
}
