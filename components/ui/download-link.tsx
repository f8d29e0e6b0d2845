import { Download } from "lucide-react";
import type { ReactNode } from "react";

/** A file download that looks like a secondary button (plain link: works without JavaScript). */
export function DownloadLink({ href, children, label }: { href: string; children: ReactNode; label?: string }) {
  return (
    <a
      href={href}
      download
      aria-label={label}
      className="inline-flex items-center gap-1.5 rounded-md bg-white px-3 py-1.5 text-sm font-semibold text-slate-700 ring-1 ring-inset ring-slate-300 hover:bg-slate-50"
    >
      <Download aria-hidden className="size-4" /> {children}
    </a>
  );
}
