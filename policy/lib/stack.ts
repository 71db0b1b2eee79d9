// The rule lives in contracts/, shared with the program and the fingerprint generator.
export { isProdStack, stackFromUrn } from "../../contracts/stacks";
