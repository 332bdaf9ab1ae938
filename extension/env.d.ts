// Types WXT would generate into .wxt/ (which the root tsconfig does not read): the build-time
// variables this extension uses, and runtime.getURL.

declare global {
  interface ImportMetaEnv {
    /** The InboxSDK app id registered at https://www.inboxsdk.com/register (sdk_<name>_<10 hex>). */
    readonly WXT_INBOXSDK_APP_ID?: string;
    /** The API origin the extension starts with; the options page can change it. */
    readonly WXT_API_URL?: string;
  }
  interface ImportMeta {
    readonly env: ImportMetaEnv;
  }
}

/** Stylesheets imported for their side effect (Vite bundles them). */
declare module '*.css';

declare module 'wxt/browser' {
  interface WxtRuntime {
    getURL(path: `/${string}`): string;
  }
}

export {};
