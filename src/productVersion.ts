/** The extension's version, as package.json says (a unit test keeps the two equal); written into exported files. */
export const PRODUCT_VERSION = '0.1.0';
