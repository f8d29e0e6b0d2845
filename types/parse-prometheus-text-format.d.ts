declare module "parse-prometheus-text-format" {
  type Sample = { labels?: Record<string, string>; value: string };
  type MetricFamily = { name: string; help: string; type: "GAUGE" | "COUNTER" | "HISTOGRAM" | "SUMMARY" | "UNTYPED"; metrics: Sample[] };
  export default function parsePrometheusTextFormat(text: string): MetricFamily[];
}
