//! 图表: the dashboard's charts as SVG, drawn with plotters rather than written by hand.
//!
//! Two shapes serve every chart: stacked bars (probes a day, succeeded and failed; verdicts a run)
//! and lines (response times; findings across runs). A chart is given its categories (days, runs)
//! and its series, already computed; it only draws them. The SVG carries its text as text, so
//! the browser sets the Chinese in the page's own font.

use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;

/// One series of a chart: its name in the legend, its colour, a value per category.
#[derive(Debug, Clone)]
pub struct Series {
    /// The legend's name.
    pub name: String,
    /// Its colour (red, green, blue).
    pub color: (u8, u8, u8),
    /// One value per category, in the categories' order.
    pub values: Vec<f64>,
}

/// Why a chart could not be drawn.
#[derive(Debug, thiserror::Error)]
#[error("chart: {0}")]
pub struct ChartError(String);

fn err(e: impl std::fmt::Display) -> ChartError {
    ChartError(e.to_string())
}

const SIZE: (u32, u32) = (640, 240);

/// A chart drawn on SVG over categories (x) and values (y).
type Chart<'a, 'b> = ChartContext<'a, SVGBackend<'b>, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// The chart's frame: axes over `labels` and `0..=top`, the y axis named `unit`.
fn frame<'a, 'b>(
    root: &'a DrawingArea<SVGBackend<'b>, plotters::coord::Shift>,
    labels: &'a [String],
    top: f64,
    unit: &str,
) -> Result<Chart<'a, 'b>, ChartError> {
    let mut chart = ChartBuilder::on(root)
        .margin(8)
        .x_label_area_size(28)
        .y_label_area_size(48)
        .build_cartesian_2d(-0.5..(labels.len() as f64 - 0.5), 0.0..top.max(1.0) * 1.4)
        .map_err(err)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .max_light_lines(1)
        .x_labels(labels.len().min(12))
        .x_label_formatter(&|x| {
            let i = x.round();
            if (x - i).abs() < 1e-6 && i >= 0.0 {
                labels.get(i as usize).cloned().unwrap_or_default()
            } else {
                String::new()
            }
        })
        .y_label_formatter(&|v| format!("{v:.0}"))
        .y_desc(unit)
        .label_style(("sans-serif", 12))
        .draw()
        .map_err(err)?;
    Ok(chart)
}

fn legend<'a, 'b: 'a>(chart: &mut Chart<'a, 'b>) -> Result<(), ChartError> {
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .background_style(WHITE.mix(0.8))
        .border_style(BLACK.mix(0.3))
        .label_font(("sans-serif", 12))
        .draw()
        .map_err(err)
}

/// Stacked bars: for each category (`labels`), the series' values on top of each other.
pub fn stacked_bars(
    labels: &[String],
    series: &[Series],
    unit: &str,
) -> Result<String, ChartError> {
    let top = (0..labels.len())
        .map(|i| {
            series
                .iter()
                .map(|s| s.values.get(i).copied().unwrap_or(0.0))
                .sum::<f64>()
        })
        .fold(0.0, f64::max);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        let mut chart = frame(&root, labels, top, unit)?;
        let mut base = vec![0.0; labels.len()];
        for s in series {
            let color = RGBColor(s.color.0, s.color.1, s.color.2);
            let bars: Vec<Rectangle<(f64, f64)>> = s
                .values
                .iter()
                .enumerate()
                .filter(|(_, v)| **v > 0.0)
                .map(|(i, v)| {
                    let (x, y0) = (i as f64, base[i]);
                    base[i] += v;
                    Rectangle::new([(x - 0.35, y0), (x + 0.35, y0 + v)], color.filled())
                })
                .collect();
            chart
                .draw_series(bars)
                .map_err(err)?
                .label(s.name.as_str())
                .legend(move |(x, y)| {
                    Rectangle::new([(x, y - 5), (x + 10, y + 5)], color.filled())
                });
        }
        legend(&mut chart)?;
        root.present().map_err(err)?;
    }
    Ok(svg)
}

/// Lines: for each series, its values across the categories (`labels`), with a dot at each.
pub fn lines(labels: &[String], series: &[Series], unit: &str) -> Result<String, ChartError> {
    let top = series
        .iter()
        .flat_map(|s| s.values.iter().copied())
        .fold(0.0, f64::max);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        let mut chart = frame(&root, labels, top, unit)?;
        for s in series {
            let color = RGBColor(s.color.0, s.color.1, s.color.2);
            let points: Vec<(f64, f64)> = s
                .values
                .iter()
                .enumerate()
                .filter(|(_, v)| v.is_finite())
                .map(|(i, v)| (i as f64, *v))
                .collect();
            chart
                .draw_series(LineSeries::new(points.clone(), color.stroke_width(2)))
                .map_err(err)?
                .label(s.name.as_str())
                .legend(move |(x, y)| {
                    PathElement::new([(x, y), (x + 12, y)], color.stroke_width(2))
                });
            chart
                .draw_series(
                    points
                        .into_iter()
                        .map(|p| Circle::new(p, 3, color.filled())),
                )
                .map_err(err)?;
        }
        legend(&mut chart)?;
        root.present().map_err(err)?;
    }
    Ok(svg)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels() -> Vec<String> {
        ["09-28", "09-29", "09-30"].map(String::from).to_vec()
    }

    #[test]
    fn stacked_bars_draw_one_rectangle_per_nonzero_value_and_name_the_series() {
        let series = [
            Series {
                name: "成功".into(),
                color: (26, 127, 55),
                values: vec![47.0, 48.0, 40.0],
            },
            Series {
                name: "失败".into(),
                color: (176, 0, 32),
                values: vec![1.0, 0.0, 8.0],
            },
        ];
        let svg = stacked_bars(&labels(), &series, "次").unwrap();
        assert!(
            svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"),
            "{svg}"
        );
        for text in ["成功", "失败", "09-29", "次"] {
            assert!(svg.contains(text), "{text} in {svg}");
        }
        // 3 green bars and 2 red ones (a zero draws nothing), plus the legend's two swatches.
        assert_eq!(svg.matches("fill=\"#1A7F37\"").count(), 3 + 1, "{svg}");
        assert_eq!(svg.matches("fill=\"#B00020\"").count(), 2 + 1, "{svg}");
    }

    #[test]
    fn lines_draw_a_polyline_and_a_dot_per_value() {
        let series = [Series {
            name: "响应时间中位数".into(),
            color: (0, 90, 200),
            values: vec![120.0, 95.0, 3000.0],
        }];
        let svg = lines(&labels(), &series, "毫秒").unwrap();
        let line = "stroke=\"#005AC8\" stroke-width=\"2\" points=\"";
        assert_eq!(
            svg.matches(line).count(),
            2,
            "the line and its legend: {svg}"
        );
        let points = svg
            .split(line)
            .nth(1)
            .and_then(|r| r.split('"').next())
            .unwrap();
        assert_eq!(points.split_whitespace().count(), 3, "three points: {svg}");
        assert_eq!(svg.matches("<circle").count(), 3, "{svg}");
        assert!(svg.contains("响应时间中位数"));
    }
}
