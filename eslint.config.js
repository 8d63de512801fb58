import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [".scratch/", "dist/", "demo/dist/", "node_modules/", "coverage/", "test-results/", "playwright-report/"],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" },
      ],
      "no-console": "error",
      eqeqeq: ["error", "always"],
    },
  },
  {
    // A function fits on one screen (docs/architecture.md): split it by concern when it grows.
    files: ["src/**/*.ts"],
    rules: { "max-lines-per-function": ["error", { max: 60 }] },
  },
  {
    files: ["src/server/**", "src/sandbox/**/*.ts", "test/**", "e2e/**", "bench/**", "demo/**", "*.config.*"],
    languageOptions: { globals: { ...globals.node } },
  },
  { files: ["test/**", "e2e/**", "bench/**", "demo/**", "*.config.*"], rules: { "no-console": "off" } },
);
