import { Lock } from "lucide-react";
import { EmptyState } from "./empty-state";

export function Forbidden({ what }: { what: string }) {
  return (
    <EmptyState icon={Lock} title={`You don't have access to ${what}`}>
      Ask an administrator if you need it.
    </EmptyState>
  );
}
