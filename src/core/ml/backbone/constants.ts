/** Input side length in pixels; inputs are RGB scaled to [-1, 1]. */
export const INPUT_SIZE = 224
export const FEATURE_DIM = 1280
