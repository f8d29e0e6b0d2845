"use client";

import { Lock } from "lucide-react";
import { usePathname } from "next/navigation";
import { EmptyState } from "./empty-state";

// forbidden() takes no arguments, so the page that refused is named by its address.
const REFUSED_PAGES: [RegExp, string][] = [
  [/^\/audit(\/|$)/, "the audit log"],
  [/^\/settings\/users(\/|$)/, "user management"],
  [/^\/settings\/tokens(\/|$)/, "API tokens"],
  [/^\/settings\/sign-in(\/|$)/, "the sign-in settings"],
  [/^\/clusters\/new$/, "creating clusters"],
  [/^\/clusters\/[^/]+\/settings(\/|$)/, "this cluster's settings"],
];

/** What app/forbidden.tsx shows for a page the signed-in role may not open (answered with 403). */
export function Forbidden() {
  const pathname = usePathname();
  const what = REFUSED_PAGES.find(([pattern]) => pattern.test(pathname))?.[1] ?? "this page";
  return (
    <EmptyState icon={Lock} title={`You don't have access to ${what}`}>
      Ask an administrator if you need it.
    </EmptyState>
  );
}
