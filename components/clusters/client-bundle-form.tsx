"use client";

import { Download, LoaderCircle } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { toast } from "sonner";
import { PemField } from "@/components/ui/pem-field";

type ClientBundleFormProps = {
  clusterId: string;
  /** Developers choose among the users an admin allowed; null = free entry (admins). */
  allowedUsers: string[] | null;
  maxDays: number;
};

/**
 * Posts to the bundle route and saves the zip; errors come back as text and become a toast.
 * With "I have my own key" it sends a CSR instead and the zip carries no key.
 */
export function ClientBundleForm({ clusterId, allowedUsers, maxDays }: ClientBundleFormProps) {
  const router = useRouter();
  const [pending, setPending] = useState(false);
  const [useCsr, setUseCsr] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setPending(true);
    try {
      const response = await fetch(`/clusters/${clusterId}/client-bundle`, { method: "POST", body: new FormData(event.currentTarget) });
      if (!response.ok) {
        toast.error((await response.text()).trim() || `Download failed (${response.status})`);
        return;
      }
      const filename = /filename="([^"]+)"/.exec(response.headers.get("content-disposition") ?? "")?.[1] ?? "client-bundle.zip";
      const url = URL.createObjectURL(await response.blob());
      const link = Object.assign(document.createElement("a"), { href: url, download: filename });
      link.click();
      URL.revokeObjectURL(url);
      router.refresh(); // the new certificate joins the list (a route handler cannot revalidate the page)
      toast.success(useCsr ? `Downloaded ${filename}: your certificate, signed from your CSR.` : `Downloaded ${filename}. Its private key is not kept by cluster-tls.`);
    } catch {
      toast.error("The download failed: is the server reachable?");
    } finally {
      setPending(false);
    }
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
          <input type="checkbox" checked={useCsr} onChange={(event) => setUseCsr(event.target.checked)} />
          I have my own key: sign a CSR instead (CN must be the database user)
        </label>
        {useCsr ? (
          <div className="mt-3">
            <PemField name="csrPem" label="Certificate signing request (PEM)" pemLabel="CERTIFICATE REQUEST" required accept=".csr,.pem,.req,text/plain" />
          </div>
        ) : null}
      </div>
    </form>
  );
}
