"use client";

import { Download, LoaderCircle } from "lucide-react";
import type { FormEvent } from "react";
import { useClientBundleDownload } from "./use-client-bundle-download";

type ClientBundleButtonProps = { clusterId: string; clusterName: string; databaseUser: string };

/**
 * One click, one client bundle for one database user, at the cluster's default lifetime: the
 * same route and zip as the full form on the cluster page (which adds lifetime, .p12 and CSR).
 */
export function ClientBundleButton({ clusterId, clusterName, databaseUser }: ClientBundleButtonProps) {
  const { pending, download } = useClientBundleDownload(clusterId);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    void download(new FormData(event.currentTarget));
  }

  return (
    <form onSubmit={submit}>
      <input type="hidden" name="databaseUser" value={databaseUser} />
      <button
        type="submit"
        disabled={pending}
        aria-label={`Download a client bundle for ${databaseUser} on ${clusterName}`}
        className="inline-flex items-center gap-2 whitespace-nowrap rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-semibold text-white shadow-sm hover:bg-indigo-500 disabled:opacity-70"
      >
        {pending ? <LoaderCircle aria-hidden className="size-4 animate-spin" /> : <Download aria-hidden className="size-4" />}
        {pending ? "Issuing…" : "Download bundle"}
      </button>
    </form>
  );
}
