// The azure breaker function's entry point (placeholder: its cloud's helper replaces it).
export {};
