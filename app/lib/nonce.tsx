import { createContext, useContext } from "react";

// The CSP nonce minted per request in the Worker; Remix's inline scripts must carry it.
const NonceContext = createContext("");

export const NonceProvider = NonceContext.Provider;

export function useNonce() {
  return useContext(NonceContext);
}
