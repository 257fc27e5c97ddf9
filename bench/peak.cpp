// The ceiling `npm run bench` divides GEMM GFLOP/s by: a plain register-blocked f32 microkernel,
// C[6 × 2v] += A[6 × k] · B[k × 2v] on packed, cache-resident panels (k = 256: 6 KiB of A and
// 16–32 KiB of B), the inner loop of every fast GEMM. One thread. Built by bench/bench.js with
// `g++ -O3 -march=native -ffp-contract=off` into out/bench/ (never committed) and run once.
// Prints one JSON line: GFLOP/s for each vector width the CPU has, with and without FMA. The
// 128-bit rows bound what WebAssembly SIMD can do (128-bit lanes; relaxed SIMD adds FMA).
#include <immintrin.h>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <vector>

static double now() { return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count(); }

template <typename V, int W, V (*Set1)(float), V (*Load)(const float*), V (*Madd)(V, V, V), void (*Store)(float*, V)>
static double run(double minSeconds) {
  const int MR = 6, K = 256, NR = 2 * W;
  std::vector<float> A(MR * K), B(K * NR), C(MR * NR, 0.f);
  for (int i = 0; i < MR * K; i++) A[i] = 0.001f * (i % 7);
  for (int i = 0; i < K * NR; i++) B[i] = 0.001f * (i % 5);
  long reps = 0;
  double t0 = now(), t = t0;
  do {
    for (int rep = 0; rep < 1000; rep++) {
      V c[MR][2];
      for (int r = 0; r < MR; r++) c[r][0] = Load(&C[r * NR]), c[r][1] = Load(&C[r * NR + W]);
      const float* a = A.data();
      const float* b = B.data();
      for (int p = 0; p < K; p++, a += MR, b += NR) {
        V b0 = Load(b), b1 = Load(b + W);
        for (int r = 0; r < MR; r++) {
          V ar = Set1(a[r]);
          c[r][0] = Madd(ar, b0, c[r][0]);
          c[r][1] = Madd(ar, b1, c[r][1]);
        }
      }
      for (int r = 0; r < MR; r++) Store(&C[r * NR], c[r][0]), Store(&C[r * NR + W], c[r][1]);
    }
    reps += 1000;
    t = now();
  } while (t - t0 < minSeconds);
  volatile float sink = C[0];
  (void)sink;
  return 2.0 * MR * NR * K * reps / (t - t0) / 1e9;
}

static __m128 s4(float x) { return _mm_set1_ps(x); }
static __m128 l4(const float* p) { return _mm_loadu_ps(p); }
static void st4(float* p, __m128 v) { _mm_storeu_ps(p, v); }
static __m128 fma4(__m128 a, __m128 b, __m128 c) { return _mm_fmadd_ps(a, b, c); }
static __m128 muladd4(__m128 a, __m128 b, __m128 c) { return _mm_add_ps(_mm_mul_ps(a, b), c); }
static __m256 s8(float x) { return _mm256_set1_ps(x); }
static __m256 l8(const float* p) { return _mm256_loadu_ps(p); }
static void st8(float* p, __m256 v) { _mm256_storeu_ps(p, v); }
static __m256 fma8(__m256 a, __m256 b, __m256 c) { return _mm256_fmadd_ps(a, b, c); }
#ifdef __AVX512F__
static __m512 s16(float x) { return _mm512_set1_ps(x); }
static __m512 l16(const float* p) { return _mm512_loadu_ps(p); }
static void st16(float* p, __m512 v) { _mm512_storeu_ps(p, v); }
static __m512 fma16(__m512 a, __m512 b, __m512 c) { return _mm512_fmadd_ps(a, b, c); }
#endif

int main(int argc, char** argv) {
  double s = argc > 1 ? atof(argv[1]) : 0.5;
  run<__m256, 8, s8, l8, fma8, st8>(0.1);  // warm-up: clocks up
  printf("{\"sse128_muladd\":%.2f", run<__m128, 4, s4, l4, muladd4, st4>(s));
  printf(",\"sse128_fma\":%.2f", run<__m128, 4, s4, l4, fma4, st4>(s));
  printf(",\"avx2_fma\":%.2f", run<__m256, 8, s8, l8, fma8, st8>(s));
#ifdef __AVX512F__
  printf(",\"avx512_fma\":%.2f", run<__m512, 16, s16, l16, fma16, st16>(s));
#endif
  printf("}\n");
}
