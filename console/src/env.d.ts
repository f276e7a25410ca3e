// Stylesheets are bundled by esbuild; the model is injected at build time (build.mjs).
declare module "*.css";
