// Vitest stand-in for the `server-only` guard (the real one throws outside React Server Components).
export {};
