package export_test

import (
	"bytes"
	"compress/gzip"
	"testing"

	"summit/models/export"
	"summit/models/export/exporttest"
)

// BenchmarkProgramPDF renders the printed program of a 200-session summit
// with long abstracts (in memory, no database), A4.
func BenchmarkProgramPDF(b *testing.B) {
	p := exporttest.SyntheticProgram(200)
	var buf bytes.Buffer
	if err := export.WriteProgramPDF(&buf, p, export.PaperA4); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(buf.Len()))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		buf.Reset()
		if err := export.WriteProgramPDF(&buf, p, export.PaperA4); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkProgramPDFGzip is the program plus the gzip (BestSpeed) the web
// handler applies for the wire: the whole cost of one download.
func BenchmarkProgramPDFGzip(b *testing.B) {
	p := exporttest.SyntheticProgram(200)
	var buf, out bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&out, gzip.BestSpeed)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		buf.Reset()
		out.Reset()
		if err := export.WriteProgramPDF(&buf, p, export.PaperA4); err != nil {
			b.Fatal(err)
		}
		zw.Reset(&out)
		_, _ = zw.Write(buf.Bytes())
		_ = zw.Close()
	}
	b.ReportMetric(float64(buf.Len()), "pdf-bytes")
	b.ReportMetric(float64(out.Len()), "gzip-bytes")
}
