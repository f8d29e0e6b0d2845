import "server-only";
import { revalidatePath } from "next/cache";

/**
 * A certificate change shows on the overview, cluster, node and certificates pages (counts,
 * timelines, badges): refresh every dashboard page rather than keep a list of paths in sync.
 */
export function revalidateCertificateViews() {
  revalidatePath("/", "layout");
}
