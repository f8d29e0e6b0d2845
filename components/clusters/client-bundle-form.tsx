"use client";

import { Download, LoaderCircle } from "lucide-react";
import { useState, type FormEvent } from "react";
import { PemField } from "@/components/ui/pem-field";
import { useClientBundleDownload } from "./use-client-bundle-download";

type ClientBundleFormProps = {
  clusterId: string;
  /** Developers choose among the users an admin allowed; null = free entry (admins). */
  allowedUsers: string[] | null;
  maxDays: number;
};

/** A client bundle with a chosen lifetime and .p12 password; with "I have my own key" a CSR goes instead and the zip carries no key. */
export function ClientBundleForm({ clusterId, allowedUsers, maxDays }: ClientBundleFormProps) {
  const { pending, download } = useClientBundleDownload(clusterId);
  const [useCsr, setUseCsr] = useState(false);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    void download(new FormData(event.currentTarget), { fromCsr: useCsr });
  }

  const input = "mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm";
  return (
    <form onSubmit={submit} aria-label="Download client bundle" className="grid gap-4 md:grid-cols-4">
      <label className="text-sm font-medium text-slate-700">
        Database user
        {allowedUsers ? (
          <select name="databaseUser" className={input} required>
            {allowedUsers.map((u) => (
              <option key={u}>{u}</option>
            ))}
          </select>
        ) : (
          <input name="databaseUser" className={input} placeholder="app_rw" required />
        )}
      </label>
      <label className="text-sm font-medium text-slate-700">
        Lifetime (days)
        <input name="days" type="number" min={1} max={maxDays} defaultValue={maxDays} className={input} />
      </label>
      {useCsr ? (
        <p className="self-end text-sm text-slate-500">Your key stays with you: the zip holds client.crt and root.crt.</p>
      ) : (
        <label className="text-sm font-medium text-slate-700">
          .p12 password (optional)
          <input name="p12Password" type="password" autoComplete="new-password" className={input} placeholder="for Java / pgJDBC" />
        </label>
      )}
      <div className="flex items-end">
        <button
          type="submit"
          disabled={pending}
          className="inline-flex w-full items-center justify-center gap-2 rounded-md bg-indigo-600 px-3.5 py-2 text-sm font-semibold text-white shadow-sm hover:bg-indigo-500 disabled:opacity-70"
        >
          {pending ? <LoaderCircle aria-hidden className="size-4 animate-spin" /> : <Download aria-hidden className="size-4" />}
          {pending ? "Issuing…" : useCsr ? "Sign CSR and download" : "Download client bundle"}
        </button>
      </div>
      <div className="md:col-span-4">
        <label className="inline-flex items-center gap-2 text-sm text-slate-700">
          <input type="checkbox" checked={useCsr} onChange={(event) => setUseCsr(event.target.checked)} />I have my own key: sign a CSR
          instead (CN must be the database user)
        </label>
        {useCsr ? (
          <div className="mt-3">
            <PemField
              name="csrPem"
              label="Certificate signing request (PEM)"
              pemLabel="CERTIFICATE REQUEST"
              required
              accept=".csr,.pem,.req,text/plain"
            />
          </div>
        ) : null}
      </div>
    </form>
  );
}
