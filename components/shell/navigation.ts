import { FileBadge2, LayoutDashboard, ScrollText, Server, Settings } from "lucide-react";

export const NAVIGATION = [
  { href: "/", label: "Overview", icon: LayoutDashboard },
  { href: "/clusters", label: "Clusters", icon: Server },
  { href: "/certificates", label: "Certificates", icon: FileBadge2 },
  { href: "/audit", label: "Audit log", icon: ScrollText },
  { href: "/settings", label: "Settings", icon: Settings },
] as const;
