// Command openapi checks that docs/openapi.yaml tells the truth about hreg-node's local API, with an
// independent implementation of OpenAPI 3, kin-openapi (Debian 12: golang-github-getkin-kin-openapi-dev
// 0.110):
//
//   - the document loads, resolves and validates as OpenAPI 3.0;
//   - every recorded exchange (a real request to a real node and its real answer, written by
//     tests/node/api-test.cpp) matches it: an answer with a status the operation does not list, a
//     body or a header of another shape, fails; a request answered 2xx must itself match its
//     operation's parameters and body; a path the spec does not serve must have been answered 404,
//     and a served path with another method 405, each with the Error object;
//   - with -all-operations, every operation of the document was exercised by some exchange;
//   - and, so that a passing run means something, the checker refuses altered copies of the
//     exchanges (a field removed, a field of another type, an undocumented status).
//
// Run by tests/node/api-test.cpp through run-openapi.sh:
//
//	openapi -spec docs/openapi.yaml [-all-operations] exchanges.json...
//
// It prints one line per failed check and exits 1 if any failed.
package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io/ioutil"
	"net/http"
	"os"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

// Exchange is one request and its answer as tests/node/api-test.cpp records them.
type Exchange struct {
	Name            string            `json:"name"`
	Method          string            `json:"method"`
	Target          string            `json:"target"`
	RequestHeaders  map[string]string `json:"requestHeaders"`
	RequestBody     string            `json:"requestBody"` // base64
	Status          int               `json:"status"`
	ResponseHeaders map[string]string `json:"responseHeaders"`
	ResponseBody    string            `json:"responseBody"`
}

type checker struct {
	doc       *openapi3.T
	router    routers.Router
	server    string
	exercised map[string]int // operationId -> exchanges seen
}

func main() {
	spec := flag.String("spec", "", "the OpenAPI document (docs/openapi.yaml)")
	allOperations := flag.Bool("all-operations", false, "fail unless every operation was exercised")
	flag.Parse()
	if *spec == "" || flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: openapi -spec docs/openapi.yaml [-all-operations] exchanges.json...")
		os.Exit(2)
	}
	c, err := load(*spec)
	if err != nil {
		fmt.Printf("FAIL %s: %v\n", *spec, err)
		os.Exit(1)
	}
	var exchanges []Exchange
	for _, file := range flag.Args() {
		list, err := readExchanges(file)
		if err != nil {
			fmt.Printf("FAIL %s: %v\n", file, err)
			os.Exit(1)
		}
		exchanges = append(exchanges, list...)
	}
	failed := 0
	for _, e := range exchanges {
		if err := c.check(e); err != nil {
			fmt.Printf("FAIL %s (%s %s -> %d): %v\n", e.Name, e.Method, e.Target, e.Status, err)
			failed++
		}
	}
	if *allOperations {
		for _, id := range c.operations() {
			if c.exercised[id] == 0 {
				fmt.Printf("FAIL operation %s: no recorded exchange exercises it\n", id)
				failed++
			}
		}
	}
	failed += c.selfTest(exchanges)
	if failed > 0 {
		fmt.Printf("%d checks failed\n", failed)
		os.Exit(1)
	}
	fmt.Printf("ok: %s is valid OpenAPI 3 and %d recorded exchanges match it\n", *spec, len(exchanges))
}

func load(spec string) (*checker, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromFile(spec)
	if err != nil {
		return nil, fmt.Errorf("cannot load: %w", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("not valid OpenAPI 3: %w", err)
	}
	if len(doc.Servers) == 0 {
		return nil, errors.New("names no server")
	}
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		return nil, fmt.Errorf("cannot route: %w", err)
	}
	return &checker{doc: doc, router: router, server: strings.TrimSuffix(doc.Servers[0].URL, "/"),
		exercised: map[string]int{}}, nil
}

func readExchanges(file string) ([]Exchange, error) {
	data, err := ioutil.ReadFile(file)
	if err != nil {
		return nil, err
	}
	var wrapper struct {
		Exchanges []Exchange `json:"exchanges"`
	}
	if err := json.Unmarshal(data, &wrapper); err != nil {
		return nil, fmt.Errorf("not an exchanges file: %w", err)
	}
	if len(wrapper.Exchanges) == 0 {
		return nil, errors.New("holds no exchange")
	}
	return wrapper.Exchanges, nil
}

func (c *checker) operations() []string {
	var ids []string
	for _, item := range c.doc.Paths {
		for _, op := range item.Operations() {
			ids = append(ids, op.OperationID)
		}
	}
	sort.Strings(ids)
	return ids
}

func (c *checker) request(e Exchange) (*http.Request, error) {
	body, err := base64.StdEncoding.DecodeString(e.RequestBody)
	if err != nil {
		return nil, fmt.Errorf("requestBody is not base64: %w", err)
	}
	req, err := http.NewRequest(e.Method, c.server+e.Target, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	for k, v := range e.RequestHeaders {
		req.Header.Set(k, v)
	}
	return req, nil
}

// check validates one exchange against the document.
func (c *checker) check(e Exchange) error {
	req, err := c.request(e)
	if err != nil {
		return err
	}
	route, params, err := c.router.FindRoute(req)
	if err != nil {
		// Not an operation of the document: the node must say so, with the Error object.
		want := 0
		switch {
		case errors.Is(err, routers.ErrPathNotFound):
			want = http.StatusNotFound
		case errors.Is(err, routers.ErrMethodNotAllowed):
			want = http.StatusMethodNotAllowed
		default:
			return fmt.Errorf("cannot route: %w", err)
		}
		// The request limits and the rate limit apply before any path is looked at.
		if e.Status != want && e.Status != 413 && e.Status != 429 && e.Status != 431 && e.Status != 400 {
			return fmt.Errorf("a request the document does not describe (%v) was answered %d, not %d", err, e.Status, want)
		}
		return c.checkError(e)
	}
	c.exercised[route.Operation.OperationID]++
	ctx := context.Background()
	input := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}}
	if e.Status >= 200 && e.Status < 300 {
		if err := openapi3filter.ValidateRequest(ctx, input); err != nil {
			return fmt.Errorf("the node accepted a request the document does not allow: %w", err)
		}
	}
	out := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: input,
		Status:                 e.Status,
		Header:                 http.Header{},
		Options:                &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	}
	for k, v := range e.ResponseHeaders {
		out.Header.Set(k, v)
	}
	out.SetBodyBytes([]byte(e.ResponseBody))
	if err := openapi3filter.ValidateResponse(ctx, out); err != nil {
		return fmt.Errorf("the answer does not match the document: %w", err)
	}
	return nil
}

// checkError validates an answer to a request outside the document against the Error schema.
func (c *checker) checkError(e Exchange) error {
	if ct := e.ResponseHeaders["Content-Type"]; ct != "application/json" {
		return fmt.Errorf("Content-Type %q, not application/json", ct)
	}
	var body interface{}
	if err := json.Unmarshal([]byte(e.ResponseBody), &body); err != nil {
		return fmt.Errorf("the body is not JSON: %w", err)
	}
	schema := c.doc.Components.Schemas["Error"]
	if schema == nil {
		return errors.New("the document defines no Error schema")
	}
	if err := schema.Value.VisitJSON(body, openapi3.VisitAsResponse()); err != nil {
		return fmt.Errorf("not an Error object: %w", err)
	}
	return nil
}

// selfTest alters answers that passed and expects the checker to refuse each: without it, a checker
// that accepts everything (a wrong router, a schema never applied) would pass too.
func (c *checker) selfTest(exchanges []Exchange) int {
	failed := 0
	tried := map[string]bool{}
	for _, e := range exchanges {
		var body map[string]interface{}
		if e.Status != 200 || tried[e.Method+e.Target] || json.Unmarshal([]byte(e.ResponseBody), &body) != nil {
			continue
		}
		if _, routeErr := c.request(e); routeErr != nil || c.check(e) != nil {
			continue
		}
		tried[e.Method+e.Target] = true
		required := c.requiredOf(e)
		for key := range body {
			alterations := map[string]func(Exchange) Exchange{
				key + " of another type": func(x Exchange) Exchange { return withBody(x, body, key, []int{1}, false) },
			}
			if required[key] {
				alterations["without "+key] = func(x Exchange) Exchange { return withBody(x, body, key, nil, true) }
			}
			for what, alter := range alterations {
				if c.check(alter(e)) == nil {
					fmt.Printf("FAIL self-test %s: the answer %s passed\n", e.Name, what)
					failed++
				}
			}
		}
		extra := withBody(e, body, "undocumented-field", true, false)
		if c.check(extra) == nil {
			fmt.Printf("FAIL self-test %s: an undocumented field passed\n", e.Name)
			failed++
		}
		teapot := e
		teapot.Status = 418
		if c.check(teapot) == nil {
			fmt.Printf("FAIL self-test %s: an undocumented status passed\n", e.Name)
			failed++
		}
	}
	if len(tried) == 0 {
		fmt.Println("FAIL self-test: no answer with a JSON object body to alter")
		failed++
	}
	return failed
}

// requiredOf is the set of properties the document requires in the exchange's JSON answer.
func (c *checker) requiredOf(e Exchange) map[string]bool {
	out := map[string]bool{}
	req, err := c.request(e)
	if err != nil {
		return out
	}
	route, _, err := c.router.FindRoute(req)
	if err != nil {
		return out
	}
	response := route.Operation.Responses.Get(e.Status)
	if response == nil || response.Value == nil {
		return out
	}
	media := response.Value.Content.Get("application/json")
	if media == nil || media.Schema == nil || media.Schema.Value == nil {
		return out
	}
	for _, name := range media.Schema.Value.Required {
		out[name] = true
	}
	return out
}

func withBody(e Exchange, body map[string]interface{}, key string, value interface{}, remove bool) Exchange {
	copied := map[string]interface{}{}
	for k, v := range body {
		copied[k] = v
	}
	if remove {
		delete(copied, key)
	} else {
		copied[key] = value
	}
	data, _ := json.Marshal(copied)
	e.ResponseBody = string(data)
	return e
}
