"use client";

import { Menu, X } from "lucide-react";
import { usePathname } from "next/navigation";
import { useEffect, useRef, useState, type MouseEvent, type ReactNode } from "react";

const PANEL_ID = "app-sidebar";

/**
 * The sidebar's frame: a fixed column from 768 px (md) up; below that a top bar whose menu
 * button (a disclosure: aria-expanded, aria-controls) opens it over the page. Focus moves to its
 * first link on opening; Escape closes it and gives focus back to the button; following a link
 * closes it.
 */
export function SidebarFrame({ brand, children }: { brand: ReactNode; children: ReactNode }) {
  const pathname = usePathname();
  // Open on the page it was opened on: navigating anywhere else closes it without an effect.
  const [openOn, setOpenOn] = useState<string | null>(null);
  const open = openOn === pathname;
  const button = useRef<HTMLButtonElement>(null);
  const panel = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    panel.current?.querySelector<HTMLElement>("nav a[href]")?.focus();
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== "Escape") return;
      setOpenOn(null);
      button.current?.focus();
    };
    document.addEventListener("keydown", onKeyDown);
    return () => document.removeEventListener("keydown", onKeyDown);
  }, [open]);

  // A link to the page already shown changes no pathname: close on any followed link.
  const closeOnLink = (event: MouseEvent<HTMLDivElement>) => {
    if (event.target instanceof Element && event.target.closest("a[href]")) setOpenOn(null);
  };

  return (
    <>
      <div className="sticky top-0 z-50 flex h-14 items-center justify-between bg-slate-900 px-4 text-slate-100 md:hidden">
        {brand}
        <button
          ref={button}
          type="button"
          aria-expanded={open}
          aria-controls={PANEL_ID}
          onClick={() => setOpenOn(open ? null : pathname)}
          className="inline-flex items-center gap-2 rounded-md px-3 py-2 text-sm font-medium text-slate-200 ring-1 ring-inset ring-slate-700 hover:bg-slate-800 hover:text-white"
        >
          {open ? <X aria-hidden className="size-4" /> : <Menu aria-hidden className="size-4" />}
          Menu
        </button>
      </div>
      {open ? (
        <div aria-hidden className="fixed inset-x-0 bottom-0 top-14 z-30 bg-slate-900/50 md:hidden" onClick={() => setOpenOn(null)} />
      ) : null}
      <div
        id={PANEL_ID}
        ref={panel}
        onClick={closeOnLink}
        className={`${open ? "fixed bottom-0 left-0 top-14 z-40 w-72 max-w-[85vw] overflow-y-auto" : "hidden"} bg-slate-900 md:static md:block md:w-60 md:max-w-none md:shrink-0 md:overflow-visible`}
      >
        {children}
      </div>
    </>
  );
}
