# Regenerate spec/generated/ (types and standalone validators) from spec/schema/.
gen:
    ./node_modules/.bin/bun spec/gen.ts
