/**
 * Rollup plugin: the one tslib helper our widget code uses, `__decorate`, in the few lines our
 * decorators need, instead of tslib's module (its general `__decorate` handles the
 * Reflect.decorate metadata API we do not use). TypeScript (experimentalDecorators) calls it as
 * `__decorate(decorators, target)` for a class and `__decorate(decorators, proto, name, desc)`
 * for a member, `desc` being `void 0` for a field and `null` for a method or accessor.
 */
const ID = '\0decorate';
const SOURCE = `export function __decorate(decorators, target, key, desc) {
  if (key === undefined) {
    for (let i = decorators.length - 1; i >= 0; i--) target = decorators[i](target) || target;
    return target;
  }
  if (desc === null) desc = Object.getOwnPropertyDescriptor(target, key);
  for (let i = decorators.length - 1; i >= 0; i--) desc = decorators[i](target, key, desc) || desc;
  if (desc) Object.defineProperty(target, key, desc);
  return desc;
}`;

export default function decorate() {
  return {
    name: 'decorate-helper',
    resolveId: (source) => (source === 'tslib' ? ID : null),
    load: (id) => (id === ID ? SOURCE : null),
  };
}
