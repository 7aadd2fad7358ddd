declare namespace Cloudflare {
  interface Env {
    TEST_MIGRATIONS: import("cloudflare:test").D1Migration[];
  }
}

/** A file's text, as Vite's `?raw` import gives it (e.g. docs the tests hold the code to). */
declare module "*?raw" {
  const text: string;
  export default text;
}
