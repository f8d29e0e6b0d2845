"use client";

import { Copy } from "lucide-react";
import type { ReactNode } from "react";
import { toast } from "sonner";
import { Button } from "./button";

/** A secret shown once (API token, webhook signing secret), with a copy button. */
export function SecretReveal({ title, value, testId }: { title: ReactNode; value: string; testId?: string }) {
  return (
    <div role="status" className="rounded-lg border border-emerald-200 bg-emerald-50 p-4">
      <p className="text-sm font-semibold text-emerald-900">{title}</p>
      <div className="mt-3 flex items-center gap-2">
        <code
          data-testid={testId}
          className="min-w-0 flex-1 break-all rounded bg-white px-3 py-2 font-mono text-xs ring-1 ring-emerald-200"
        >
          {value}
        </code>
        <Button
          variant="secondary"
          size="sm"
          onClick={() =>
            navigator.clipboard.writeText(value).then(
              () => toast.success("Copied"),
              () => toast.error("Copy failed: select the text instead"),
            )
          }
        >
          <Copy aria-hidden className="size-3.5" /> Copy
        </Button>
      </div>
    </div>
  );
}
