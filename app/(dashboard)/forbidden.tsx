import type { Metadata } from "next";
import { AppHeader } from "@/components/shell/app-header";
import { Forbidden } from "@/components/ui/forbidden";

export const metadata: Metadata = { title: "No access" };

/** forbidden() in a dashboard page: answered 403, inside the shell so the menu stays. */
export default function DashboardForbidden() {
  return (
    <>
      <AppHeader title="No access" />
      <div className="px-4 py-8 sm:px-8">
        <Forbidden />
      </div>
    </>
  );
}
