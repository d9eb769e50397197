// Command gen converts the GSO administrative-unit list (dvhcvn JSON) into
// geo/units.tsv.gz, the table package geo embeds, and the list of units
// from 1/7/2025 with its old→new mapping into geo/reorg.tsv.gz. Run it through
// `go generate ./geo` from the repository root, with shared/ beside the
// repository as on the developers' machines and CI.
package main

import (
	"flag"
	"fmt"
	"log"
	"os"

	"congdoan/geo/internal/dvhcvn"
)

func main() {
	in := flag.String("in", "../../shared/data/dvhcvn-2025-03-01.json", "dvhcvn JSON source")
	out := flag.String("out", "units.tsv.gz", "gzipped table to write")
	in2025 := flag.String("in2025", "", "the list of units from 1/7/2025 (dvhc-2025-07-01.json); empty skips it")
	out2025 := flag.String("out2025", "reorg.tsv.gz", "gzipped 2025 table to write")
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("gen: ")

	src, err := os.ReadFile(*in)
	if err != nil {
		log.Fatal(err)
	}
	res, err := dvhcvn.Convert(src)
	if err != nil {
		log.Fatal(err)
	}
	gz, err := dvhcvn.Gzip(res.TSV)
	if err != nil {
		log.Fatal(err)
	}
	// Show every repair so whoever reruns this sees how the official data
	// was changed before committing the result.
	for _, n := range res.Notes {
		fmt.Fprintln(os.Stderr, "gen: repaired", n)
	}
	if err := os.WriteFile(*out, gz, 0o644); err != nil {
		log.Fatal(err)
	}
	if *in2025 != "" {
		src, err := os.ReadFile(*in2025)
		if err != nil {
			log.Fatal(err)
		}
		re, err := dvhcvn.ConvertReorg(src)
		if err != nil {
			log.Fatal(err)
		}
		gz, err := dvhcvn.Gzip(re.TSV)
		if err != nil {
			log.Fatal(err)
		}
		if err := os.WriteFile(*out2025, gz, 0o644); err != nil {
			log.Fatal(err)
		}
		fmt.Fprintf(os.Stderr, "gen: %s (from 2025-07-01): %d provinces, %d communes; %d bytes TSV, %d bytes gzip\n",
			*out2025, re.Provinces, re.Communes, len(re.TSV), len(gz))
	}
	fmt.Fprintf(os.Stderr, "gen: %s (list of %s): %d provinces, %d districts, %d communes; %d bytes TSV, %d bytes gzip\n",
		*out, res.DataDate, res.Provinces, res.Districts, res.Communes, len(res.TSV), len(gz))
}
