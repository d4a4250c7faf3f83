import 'reflect-metadata';
import { isTrackingSkipped } from '../../lib/http/skip-tracking.decorator.js';
import { SkipTracking } from '../../lib/index.js';

class Marked {
  @SkipTracking()
  quiet() {
    return 1;
  }
  loud() {
    return 2;
  }
}

@SkipTracking()
class WholeController {
  any() {
    return 3;
  }
}

describe('@SkipTracking()', () => {
  it('on a method marks that method only, and leaves it working', () => {
    expect(isTrackingSkipped(Marked.prototype.quiet, Marked)).toBe(true);
    expect(isTrackingSkipped(Marked.prototype.loud, Marked)).toBe(false);
    expect(new Marked().quiet()).toBe(1);
  });

  it('on a class marks every handler of it', () => {
    expect(isTrackingSkipped(WholeController.prototype.any, WholeController)).toBe(true);
    expect(isTrackingSkipped(WholeController.prototype.any)).toBe(false);
  });

  it('anything else is not skipped', () => {
    expect(isTrackingSkipped(undefined, null)).toBe(false);
    expect(isTrackingSkipped('x', 42)).toBe(false);
  });
});
