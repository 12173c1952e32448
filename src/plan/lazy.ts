/**
 * Makes `obj[key]` a value computed when first read (then kept), in the key's place: JSON output and
 * key order are those of a plain object. The key must already be there (its placeholder value is
 * never read). An object literal can say the same with a getter in the key's place, which keeps its
 * place too and is cheaper where many objects are made (planCollection).
 */
export function lazyField<T extends object, K extends keyof T>(obj: T, key: K, make: () => T[K]): T {
  let made = false;
  let value: T[K];
  Object.defineProperty(obj, key, {
    enumerable: true,
    configurable: true,
    get: () => {
      if (!made) {
        value = make();
        made = true;
      }
      return value;
    },
  });
  return obj;
}
