#include "core/metrics/interval.h"

#include <algorithm>
#include <cmath>

namespace cachescope {

namespace {
constexpr double kZ95 = 1.959964; // two-sided 95 % of the normal distribution

// Lentz's continued fraction for the incomplete beta function (Numerical Recipes, betacf).
double betaContinuedFraction(double a, double b, double x)
{
    constexpr int kMaxIterations = 10000;
    constexpr double kEpsilon = 1e-14;
    constexpr double kTiny = 1e-300;
    const double qab = a + b;
    const double qap = a + 1.0;
    const double qam = a - 1.0;
    double c = 1.0;
    double d = 1.0 - qab * x / qap;
    if (std::abs(d) < kTiny)
        d = kTiny;
    d = 1.0 / d;
    double h = d;
    for (int m = 1; m <= kMaxIterations; ++m) {
        const double m2 = 2.0 * m;
        double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
        d = 1.0 + aa * d;
        d = std::abs(d) < kTiny ? kTiny : d;
        c = 1.0 + aa / c;
        c = std::abs(c) < kTiny ? kTiny : c;
        d = 1.0 / d;
        h *= d * c;
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
        d = 1.0 + aa * d;
        d = std::abs(d) < kTiny ? kTiny : d;
        c = 1.0 + aa / c;
        c = std::abs(c) < kTiny ? kTiny : c;
        d = 1.0 / d;
        const double delta = d * c;
        h *= delta;
        if (std::abs(delta - 1.0) < kEpsilon)
            break;
    }
    return h;
}

// The x with I_x(a, b) = p, by bisection (I is increasing in x): 200 halvings reach the double's
// precision whatever the counts.
double inverseIncompleteBeta(double a, double b, double p)
{
    double lo = 0.0;
    double hi = 1.0;
    for (int i = 0; i < 200 && hi - lo > 1e-15; ++i) {
        const double mid = (lo + hi) / 2;
        if (regularizedIncompleteBeta(a, b, mid) < p)
            lo = mid;
        else
            hi = mid;
    }
    return (lo + hi) / 2;
}
} // namespace

double regularizedIncompleteBeta(double a, double b, double x)
{
    if (x <= 0.0)
        return 0.0;
    if (x >= 1.0)
        return 1.0;
    const double logFront = std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b) + a * std::log(x) + b * std::log1p(-x);
    const double front = std::exp(logFront);
    // The fraction converges fast for x below the mean; above it, use the symmetry I_x(a,b) = 1 − I_{1−x}(b,a).
    if (x < (a + 1.0) / (a + b + 2.0))
        return front * betaContinuedFraction(a, b, x) / a;
    return 1.0 - front * betaContinuedFraction(b, a, 1.0 - x) / b;
}

Estimate wilsonInterval(std::uint64_t successes, std::uint64_t trials)
{
    if (trials == 0)
        return {};
    const auto n = double(trials);
    const double p = double(successes) / n;
    const double z2 = kZ95 * kZ95;
    const double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
    const double half = kZ95 * std::sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n);
    return Estimate {p, std::max(0.0, centre - half), std::min(1.0, centre + half)};
}

Estimate exactBinomialInterval(std::uint64_t successes, std::uint64_t trials, double level)
{
    if (trials == 0 || successes > trials)
        return {};
    const auto k = double(successes);
    const auto n = double(trials);
    const double alpha = (1.0 - level) / 2.0;
    // Lower end: the p at which P(X ≥ k) = α, i.e. the α quantile of Beta(k, n − k + 1); upper
    // end: the 1 − α quantile of Beta(k + 1, n − k).
    const double low = successes == 0 ? 0.0 : inverseIncompleteBeta(k, n - k + 1.0, alpha);
    const double high = successes == trials ? 1.0 : inverseIncompleteBeta(k + 1.0, n - k, 1.0 - alpha);
    return Estimate {k / n, low, high};
}

} // namespace cachescope
