"use client";

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useState, type ReactNode } from "react";
import { Toaster } from "sonner";

export function Providers({ children }: { children: ReactNode }) {
  // One client per browser tab; server components render the first paint, queries keep it fresh.
  const [queryClient] = useState(() => new QueryClient({ defaultOptions: { queries: { staleTime: 30_000, refetchOnWindowFocus: true } } }));
  return (
    <QueryClientProvider client={queryClient}>
      {children}
      {/* Top centre: the right-hand edge holds the actions, in the page header (Rotate CA, Remove
          node…) and in each table row (Re-issue, Server bundle); a toast there hides the next click. */}
      <Toaster position="top-center" richColors closeButton visibleToasts={3} />
    </QueryClientProvider>
  );
}
