// Files embedded with `import x from "..." with { type: "file" }` are paths.
declare module "*/runb-stub" {
  const path: string;
  export default path;
}
