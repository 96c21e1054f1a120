#include "ui/livechart.h"

#include <QLegend>
#include <QLegendMarker>

#include <QChart>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QPainter>
#include <QValueAxis>

#include <algorithm>
#include <cmath>
#include <limits>

namespace cachescope {

namespace {
// A tick step of 1, 2 or 5 × 10^k giving at most about six intervals over span.
double niceStep(double span)
{
    const double raw = span / 6.0;
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    for (double m : {1.0, 2.0, 5.0, 10.0}) {
        if (m * magnitude >= raw)
            return m * magnitude;
    }
    return 10.0 * magnitude;
}
} // namespace

// QChartView(QWidget *) would make a default chart that setChart() then releases to no owner:
// hand the view its chart at construction instead.
LiveChart::LiveChart(const QString &title, const QString &xTitle, const QString &yTitle, QWidget *parent)
    : QChartView(new QChart, parent)
{
    QChart *chart = this->chart();
    chart->setTitle(title);
    chart->setAnimationOptions(QChart::NoAnimation);
    chart->legend()->setAlignment(Qt::AlignBottom);
    chart->setMargins(QMargins(4, 4, 4, 4));
    m_x = new QValueAxis;
    m_x->setTitleText(xTitle);
    m_x->setLabelFormat(QStringLiteral("%.0f"));
    setXRange(m_xSpan);
    m_y = new QValueAxis;
    m_y->setTitleText(yTitle);
    m_y->setLabelFormat(QStringLiteral("%.0f"));
    setYRange(10);
    chart->addAxis(m_x, Qt::AlignBottom);
    chart->addAxis(m_y, Qt::AlignLeft);
    setRenderHint(QPainter::Antialiasing, false);
    setMinimumSize(360, 220);

    m_redraw.setInterval(50);
    m_redraw.setSingleShot(true);
    connect(&m_redraw, &QTimer::timeout, this, &LiveChart::redraw);
}

int LiveChart::addSeries(const QString &name, const QColor &color, Qt::PenStyle style)
{
    auto *series = new QLineSeries;
    series->setName(name);
    QPen pen(color);
    pen.setWidth(1);
    pen.setStyle(style);
    series->setPen(pen);
    chart()->addSeries(series);
    series->attachAxis(m_x);
    if (m_logY)
        series->attachAxis(m_logY);
    else
        series->attachAxis(m_y);
    m_series.push_back({series, {}});
    return int(m_series.size()) - 1;
}

void LiveChart::setSeriesName(int series, const QString &name)
{
    m_series.at(std::size_t(series)).series->setName(name);
}

QString LiveChart::seriesName(int series) const
{
    return m_series.at(std::size_t(series)).series->name();
}

void LiveChart::append(int series, QPointF point)
{
    if (m_logY && point.y() <= 0)
        return; // no place on a log axis (an interval without timed requests)
    auto &points = m_series[std::size_t(series)].points;
    points.append(point);
    if (points.size() > kMaxPoints) {
        points.remove(0, points.size() - kMaxPoints);
        m_trimmed = true;
    }
    m_dirty = true;
    if (!m_redraw.isActive())
        m_redraw.start();
}

void LiveChart::addMarker(double x, const QString &label)
{
    m_markers.push_back({x, label});
    dropOldMarkers();
    viewport()->update();
}

QString LiveChart::markerLabel(double x) const
{
    for (const Marker &m : m_markers) {
        if (m.x == x)
            return m.label;
    }
    return {};
}

void LiveChart::drawForeground(QPainter *painter, const QRectF &rect)
{
    QChartView::drawForeground(painter, rect);
    if (m_markers.empty() || m_series.empty())
        return;
    QChart *c = chart();
    QPen pen(QColor(0x5f, 0x63, 0x68));
    pen.setWidth(1);
    pen.setStyle(Qt::DashLine);
    painter->save();
    painter->setPen(pen);
    painter->setClipRect(c->mapRectToScene(c->plotArea()));
    for (const Marker &m : m_markers) {
        if (m.x < m_x->min() || m.x > m_x->max())
            continue;
        const QPointF top = c->mapToScene(c->mapToPosition(QPointF(m.x, yMax()), m_series.front().series));
        const QPointF bottom = c->mapToScene(c->mapToPosition(QPointF(m.x, yMin()), m_series.front().series));
        painter->drawLine(top, bottom);
    }
    painter->restore();
}

void LiveChart::dropOldMarkers()
{
    double oldest = -std::numeric_limits<double>::infinity();
    if (m_trimmed) {
        oldest = std::numeric_limits<double>::infinity();
        for (const auto &s : m_series) {
            if (!s.points.isEmpty())
                oldest = std::min(oldest, s.points.first().x());
        }
    }
    qsizetype drop = 0;
    while (drop < qsizetype(m_markers.size())
        && (qsizetype(m_markers.size()) - drop > kMaxMarkers || m_markers[std::size_t(drop)].x < oldest))
        ++drop;
    m_markers.erase(m_markers.begin(), m_markers.begin() + drop);
}

void LiveChart::clear()
{
    m_markers.clear();
    m_trimmed = false;
    for (auto &s : m_series) {
        s.points.clear();
        s.series->clear();
    }
    setXRange(m_xSpan);
    if (m_logY)
        m_logY->setRange(m_logMin, m_logMax);
    else if (!m_fixedY)
        setYRange(10);
}

void LiveChart::setLogY(double min, double max)
{
    Q_ASSERT(m_series.empty());
    m_logMin = min;
    m_logMax = max;
    m_logY = new QLogValueAxis;
    m_logY->setBase(10);
    m_logY->setLabelFormat(QStringLiteral("%g"));
    m_logY->setMinorTickCount(0); // decades only: minor lines at 2…9 crowd a small chart
    m_logY->setTitleText(m_y->titleText());
    m_logY->setRange(min, max);
    chart()->removeAxis(m_y);
    delete m_y;
    m_y = nullptr;
    chart()->addAxis(m_logY, Qt::AlignLeft);
}

double LiveChart::yMin() const
{
    return m_logY ? m_logY->min() : m_y->min();
}

double LiveChart::yMax() const
{
    return m_logY ? m_logY->max() : m_y->max();
}

void LiveChart::setXSpan(double span)
{
    m_xSpan = std::max(span, 1.0);
    setXRange(m_xSpan);
}

void LiveChart::setXRange(double max)
{
    m_x->setTickType(QValueAxis::TicksDynamic);
    m_x->setTickAnchor(0);
    m_x->setTickInterval(niceStep(max));
    m_x->setRange(0, max);
}

void LiveChart::setYRange(double max)
{
    if (!m_y)
        return;
    const double step = niceStep(max);
    m_y->setTickType(QValueAxis::TicksDynamic);
    m_y->setTickAnchor(0);
    m_y->setTickInterval(step);
    m_y->setRange(0, std::ceil(max / step) * step);
}

void LiveChart::setFixedYRange(double min, double max)
{
    if (!m_y)
        return;
    m_fixedY = true;
    m_y->setTickType(QValueAxis::TicksDynamic);
    m_y->setTickAnchor(min);
    m_y->setTickInterval((max - min) / 4.0); // quarters: 0, 25, 50, 75, 100 for percentages
    m_y->setRange(min, max);
}

qsizetype LiveChart::pointCount(int series) const
{
    return m_series[std::size_t(series)].series->count();
}

void LiveChart::redraw()
{
    if (!m_dirty)
        return;
    m_dirty = false;
    double maxX = m_xSpan;
    double maxY = 0.0;
    double minY = std::numeric_limits<double>::infinity();
    for (auto &s : m_series) {
        s.series->replace(s.points);
        for (const QPointF &p : s.points) {
            maxX = std::max(maxX, p.x());
            maxY = std::max(maxY, p.y());
            minY = std::min(minY, p.y());
        }
    }
    if (maxX > m_x->max())
        setXRange(maxX);
    if (m_logY) {
        // Whole decades, grown to fit: 1 µs … 10 ms, then 100 ms when a stall shows.
        const double lo = minY < m_logY->min() ? std::pow(10.0, std::floor(std::log10(minY))) : m_logY->min();
        const double hi = maxY > m_logY->max() ? std::pow(10.0, std::ceil(std::log10(maxY))) : m_logY->max();
        if (lo != m_logY->min() || hi != m_logY->max())
            m_logY->setRange(lo, hi);
    } else if (!m_fixedY && maxY > m_y->max()) {
        setYRange(maxY * 1.1);
    }
    if (m_trimmed)
        dropOldMarkers();
    if (!m_markers.empty())
        viewport()->update(); // the markers follow the axes
}

} // namespace cachescope
