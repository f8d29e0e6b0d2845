import Link from "next/link";

/** forbidden() outside the dashboard (the dashboard has its own, inside its shell): 403. */
export default function ForbiddenPage() {
  return (
    <div className="flex min-h-screen flex-col items-center justify-center gap-3 px-4 text-center">
      <p className="text-sm font-semibold text-indigo-600">403</p>
      <h1 className="text-2xl font-semibold">You don&apos;t have access to this page</h1>
      <p className="text-sm text-slate-500">Ask an administrator if you need it.</p>
      <Link href="/" className="text-sm font-medium text-indigo-600 hover:underline">
        Back to the start page
      </Link>
    </div>
  );
}
