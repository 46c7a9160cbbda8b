// @ts-check
/** `#ringi-node` outside Node (node-platform.js says why): never called there. */
const notNode = () => { throw new Error('Ringi: a Node-only path was reached outside Node'); };
export const readBytes = notNode;
export const prepareGlue = notNode;
