"use client";

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useState, type ReactNode } from "react";
import { Toaster } from "sonner";

export function Providers({ children }: { children: ReactNode }) {
  // One client per browser tab; server components render the first paint, queries keep it fresh.
  const [queryClient] = useState(
    () => new QueryClient({ defaultOptions: { queries: { staleTime: 30_000, refetchOnWindowFocus: true } } }),
  );
  return (
    <QueryClientProvider client={queryClient}>
      {children}
      {/* Bottom right: at the top a toast covers the page header's actions (Rotate CA, Remove node…). */}
      <Toaster position="bottom-right" richColors closeButton />
    </QueryClientProvider>
  );
}
