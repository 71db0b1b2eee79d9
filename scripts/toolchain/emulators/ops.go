package main

// The shapes every modelled resource's operations share: a write under the service's exclusive lock that answers
// with the resource's outputs, a read of the world as it is, and the answer of a create.

type readFunc = func(p *provider, id string, state plain) (string, plain, error)

func worldUpdate[T any, P interface {
	*T
	world
}](p *provider, service string, fn func(P) error) error {
	s, err := p.store()
	if err != nil {
		return err
	}
	return update[T, P](s, service, fn)
}

func worldView[T any, P interface {
	*T
	world
}](p *provider, service string) (P, error) {
	s, err := p.store()
	if err != nil {
		return nil, err
	}
	return view[T, P](s, service)
}

// worldWrite is an update whose fn answers with the outputs of what it wrote; a refusal writes nothing.
func worldWrite[T any, P interface {
	*T
	world
}](p *provider, service string, fn func(P) (plain, error)) (plain, error) {
	var out plain
	err := worldUpdate[T, P](p, service, func(w P) error {
		var err error
		out, err = fn(w)
		return err
	})
	return out, err
}

// created is a create's answer: the id of what was written, once the write went through.
func created(id string, out plain, err error) (string, plain, error) {
	if err != nil {
		return "", nil, err
	}
	return id, out, nil
}
