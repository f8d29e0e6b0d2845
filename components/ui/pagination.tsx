import Link from "next/link";

type Props = { page: number; pageSize: number; total: number; hrefFor: (page: number) => string; noun: string };

/** "Showing 51–100 of 1,234" with previous/next links (server-side pages, plain links). */
export function Pagination({ page, pageSize, total, hrefFor, noun }: Props) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const first = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const last = Math.min(total, page * pageSize);
  const link = "rounded-md px-3 py-1.5 font-medium ring-1 ring-inset ring-slate-300 hover:bg-slate-50";
  return (
    <nav aria-label="Pages" className="flex items-center justify-between gap-4 text-sm text-slate-600">
      <p>
        Showing {first.toLocaleString("en")}–{last.toLocaleString("en")} of {total.toLocaleString("en")} {noun}
      </p>
      <div className="flex gap-2">
        {page > 1 ? (
          <Link href={hrefFor(page - 1)} className={link} rel="prev">
            Previous
          </Link>
        ) : null}
        {page < pages ? (
          <Link href={hrefFor(page + 1)} className={link} rel="next">
            Next
          </Link>
        ) : null}
      </div>
    </nav>
  );
}
