// One lint configuration for the program, its scripts and tests, and the policy pack (each file is type-checked
// against the nearest tsconfig.json: the root one, or policy/'s).
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  // supabase/ holds Deno edge functions (another runtime, another type world); examples hold only config and SQL.
  { ignores: ["**/node_modules/**", "supabase/**", "examples/**", "**/*.js", "**/*.mjs"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // A promise nobody awaits is an error nobody sees: an engine run or a file write that fails silently.
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    // Tests read what the engine, the emulators and stack files hold: untyped JSON, shaped by each assertion.
    files: ["tests/**/*.ts", "policy/tests/**/*.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
);
