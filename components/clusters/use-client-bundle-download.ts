"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "sonner";

/**
 * Posts a client-bundle form to the cluster's bundle route (a server action cannot stream a
 * file) and saves the zip; an error comes back as text and becomes a toast. Shared by the full
 * form on the cluster page and the one-click buttons on a developer's start page.
 */
export function useClientBundleDownload(clusterId: string) {
  const router = useRouter();
  const [pending, setPending] = useState(false);

  async function download(fields: FormData, { fromCsr = false }: { fromCsr?: boolean } = {}) {
    setPending(true);
    try {
      const response = await fetch(`/clusters/${clusterId}/client-bundle`, { method: "POST", body: fields });
      if (!response.ok) {
        toast.error((await response.text()).trim() || `Download failed (${response.status})`);
        return;
      }
      const filename = /filename="([^"]+)"/.exec(response.headers.get("content-disposition") ?? "")?.[1] ?? "client-bundle.zip";
      const url = URL.createObjectURL(await response.blob());
      const link = Object.assign(document.createElement("a"), { href: url, download: filename });
      link.click();
      URL.revokeObjectURL(url);
      router.refresh(); // the new certificate joins the lists (a route handler cannot revalidate the page)
      toast.success(
        fromCsr
          ? `Downloaded ${filename}: your certificate, signed from your CSR.`
          : `Downloaded ${filename}. Its private key is not kept by cluster-tls.`,
      );
    } catch {
      toast.error("The download failed: is the server reachable?");
    } finally {
      setPending(false);
    }
  }

  return { pending, download };
}
