import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/", "node_modules/", "coverage/", "test-results/", "playwright-report/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        window: "readonly", document: "readonly", console: "readonly", process: "readonly",
        setTimeout: "readonly", clearTimeout: "readonly", URL: "readonly", AbortController: "readonly",
        fetch: "readonly", Response: "readonly", Request: "readonly", Headers: "readonly",
        queueMicrotask: "readonly", globalThis: "readonly", self: "readonly", btoa: "readonly",
      },
    },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-console": "error",
    },
  },
  { files: ["test/**", "e2e/**", "bench/**", "demo/**", "*.config.*", ".ci/**"], rules: { "no-console": "off" } },
);
