import { SearchX } from "lucide-react";
import type { Metadata } from "next";
import { AppHeader } from "@/components/shell/app-header";
import { ButtonLink } from "@/components/ui/button-link";
import { EmptyState } from "@/components/ui/empty-state";

export const metadata: Metadata = { title: "Not found" };

/**
 * notFound() in a dashboard page (an unknown cluster or node, or one this user may not see —
 * the same answer, so ids are not confirmed to strangers): 404, inside the shell.
 */
export default function DashboardNotFound() {
  return (
    <>
      <AppHeader title="Page not found" />
      <div className="px-4 py-8 sm:px-8">
        <EmptyState icon={SearchX} title="Nothing here" action={<ButtonLink href="/">Back to the start page</ButtonLink>}>
          This address names no cluster, node or page that you can see. It may have been removed, or not shared with you.
        </EmptyState>
      </div>
    </>
  );
}
