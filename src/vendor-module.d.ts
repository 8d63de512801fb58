// humanapi-connect-client ships no types; this is the part of it we use (see vendor.ts).
declare module "humanapi-connect-client" {
  const client: unknown;
  export default client;
}
