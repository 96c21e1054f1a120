#pragma once

#include <cstdint>
#include <optional>

namespace cachescope {

/// An estimate with its 95 % interval (when it has one).
struct Estimate {
    double value = 0.0;
    std::optional<double> low; ///< lower end of the 95 % interval
    std::optional<double> high; ///< upper end

    /// True when the interval is known and holds \a x (ends included).
    bool holds(double x) const { return low && high && *low <= x && x <= *high; }
};

/// Wilson's score interval for a proportion (95 %): close to exact near 0 and 1 and cheap; what
/// comparisons of hit rates use.
Estimate wilsonInterval(std::uint64_t successes, std::uint64_t trials);

/// The exact (Clopper–Pearson) interval for a proportion: the successes' rate with the shares p at
/// which seeing that many or more (fewer) successes still has a chance of (1 − level) / 2. It never
/// covers less than \a level, whatever the count; what a verdict on a hit rate or an error rate
/// reports. Without trials the value is 0 and the interval unknown.
Estimate exactBinomialInterval(std::uint64_t successes, std::uint64_t trials, double level = 0.95);

/// The regularized incomplete beta function I_x(a, b), for a, b > 0 and 0 ≤ x ≤ 1 (continued
/// fraction, relative error about 1e-12): the binomial distribution's tail.
double regularizedIncompleteBeta(double a, double b, double x);

} // namespace cachescope
