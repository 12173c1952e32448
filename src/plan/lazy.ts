/**
 * Makes `obj[key]` a value computed when first read (then kept), in the key's place: JSON output and
 * key order are those of a plain object. The key must already be there (its placeholder value is
 * never read). Each call makes a getter of its own; where many objects are made (planCollection),
 * one shared getter keeps them to one hidden class.
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
