export * from "./audit";
export * from "./clusters";
export * from "./enums";
export * from "./nodes";
export * from "./pki";
export * from "./users";
export * from "./jobs";
export * from "./rotations";
