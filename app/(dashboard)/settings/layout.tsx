import type { ReactNode } from "react";
import { AppHeader } from "@/components/shell/app-header";
import { SettingsTabs } from "@/components/settings/settings-tabs";
import { isAllowed } from "@/lib/access/permissions";
import { requireSessionUser } from "@/lib/auth/current-user";

export default async function SettingsLayout({ children }: { children: ReactNode }) {
  const user = await requireSessionUser();
  return (
    <>
      <AppHeader title="Settings" description="This instance, its users and its API tokens." />
      <SettingsTabs isAdmin={isAllowed(user, "users:manage")} />
      <div className="px-4 sm:px-8 py-8">{children}</div>
    </>
  );
}
