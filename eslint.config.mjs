import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

// The layers, lowest first: lib/pki (pure X.509, PKCS and CRL code) → lib/db, lib/secrets and the
// other leaf modules → lib/services (use cases: a database and an actor in, rows out) → lib/jobs,
// lib/runtime, lib/auth, lib/api, lib/actions → app/. A module imports only from its own layer or
// below, so every folder can be tested without the ones above it. Paths are matched as written
// (the "@/" alias), which is how every cross-folder import in the tree is spelt.
const TEST_FILES = ["**/*.test.ts", "**/*.test.tsx", "**/*.fuzz.test.ts"];
const FRAMEWORK = ["next", "next/*", "react", "react/*", "react-dom", "react-dom/*"];

// lib/pki's own files may reach each other by relative paths, but not climb out of lib/pki:
// "../" from its top level, "../../" from a subfolder (lib/pki/crl).
const pkiRule = (files, escape) => ({
  files,
  ignores: TEST_FILES,
  rules: {
    "no-restricted-imports": [
      "error",
      {
        patterns: [
          {
            group: ["@/*", "!@/lib", "@/lib/*", "!@/lib/pki"],
            message: "lib/pki is pure: it imports only itself and the ASN.1/crypto libraries.",
          },
          { group: [...FRAMEWORK, "drizzle-orm", "drizzle-orm/*", "server-only"], message: "lib/pki is pure: no framework, no database." },
          { group: [`${escape}*`], message: "lib/pki is pure: use a relative import inside lib/pki only." },
        ],
      },
    ],
  },
});

const NO_DRIZZLE_IN_APP = {
  group: ["drizzle-orm", "drizzle-orm/*", "@/lib/db/schema", "@/lib/db/schema/**"],
  message: "app/ reads and writes through lib/services, never with drizzle or the schema directly.",
};
// Pages, route handlers and server actions get { db, keyRing, actor, requestInfo } from their
// wrapper (apiHandler, userAction, sessionDownload, requireSessionContext, visitorContext): one place decides
// who is acting and where the request came from, so none of them opens the runtime itself.
const NO_RUNTIME_IN_HANDLERS = {
  group: ["@/lib/runtime/bootstrap", "**/runtime/bootstrap"],
  message:
    "Take the request context from the wrapper (apiHandler, userAction, sessionDownload, requireSessionContext, visitorContext) instead of the process runtime.",
};

const layerRules = [
  pkiRule(["lib/pki/*/**/*.ts"], "../../"),
  pkiRule(["lib/pki/*.ts"], "../"),
  {
    files: ["lib/{db,secrets,access,validations,cache,errors,format,webhooks,probe,bundles,timeline,log,config}/**/*.ts"],
    ignores: TEST_FILES,
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: FRAMEWORK, message: "The folders below the services know nothing of Next.js or React." },
            {
              group: [
                "@/lib/services",
                "@/lib/services/**",
                "@/lib/jobs",
                "@/lib/jobs/**",
                "@/lib/runtime",
                "@/lib/runtime/**",
                "@/lib/auth",
                "@/lib/auth/**",
                "@/lib/api",
                "@/lib/api/**",
                "@/lib/actions",
                "@/lib/actions/**",
                "@/app/**",
                "@/components/**",
              ],
              message: "This folder sits below lib/services: it may import only its neighbours and lib/pki.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["lib/services/**/*.ts"],
    ignores: TEST_FILES,
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: FRAMEWORK, message: "Services know nothing of Next.js or React: the route, action or page adapts their result." },
            {
              group: [
                "@/lib/jobs",
                "@/lib/jobs/**",
                "@/lib/runtime",
                "@/lib/runtime/**",
                "@/lib/auth",
                "@/lib/auth/**",
                "@/lib/api",
                "@/lib/api/**",
                "@/lib/actions",
                "@/lib/actions/**",
                "@/app/**",
                "@/components/**",
              ],
              message:
                "lib/services sits below jobs, runtime, auth, api and actions: move the shared piece down (into lib/services or a leaf module) instead.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["app/**/*.ts", "app/**/*.tsx"],
    // The two routes that are not request handlers of the product: /api/health reports on the
    // database the request context needs (so it must answer 503 without one), and the CLI's private
    // channel runs its commands against the whole runtime (backups, master keys).
    ignores: ["app/api/health/route.ts", "app/api/internal/cli/route.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [NO_DRIZZLE_IN_APP, NO_RUNTIME_IN_HANDLERS] }],
    },
  },
  {
    files: ["app/api/health/route.ts", "app/api/internal/cli/route.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [NO_DRIZZLE_IN_APP] }],
    },
  },
  {
    files: ["lib/actions/**/*.ts"],
    ignores: TEST_FILES,
    rules: {
      "no-restricted-imports": ["error", { patterns: [NO_RUNTIME_IN_HANDLERS] }],
    },
  },
];

const config = [
  ...nextVitals,
  ...nextTs,
  ...layerRules,
  {
    ignores: [
      ".next/**",
      "node_modules/**",
      "data/**",
      "drizzle/**",
      "next-env.d.ts",
      "playwright-report/**",
      "test-results/**",
      "bench/results/**",
      ".tmp/**",
      "dist/**",
    ],
  },
];

export default config;
