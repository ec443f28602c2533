/** YAML files are bundled as text for the Worker (wrangler.toml `[[rules]] type = "Text"`). */
declare module "*.yaml" {
  const text: string;
  export default text;
}
